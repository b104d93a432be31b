"""The course as data: loading and validating content/ into typed models."""
