"""大客户管理 Workshop: a live, gamified key-account-management course."""
