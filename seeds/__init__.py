"""Content as data (JSON / CSV) and the loaders that put it in the database."""
