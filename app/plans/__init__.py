"""Key-account development plans (大客户发展计划书): what a trainee writes for each key account,
saved with versions so nothing typed is ever lost, and what the room says about it. The plan
workspace, the presentation and the exports read and write plans only through this package."""
