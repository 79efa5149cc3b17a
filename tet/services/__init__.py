"""Domain services: pure functions over the models, no HTTP."""
