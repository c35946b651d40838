"""Built-in scenarios and their loader."""
