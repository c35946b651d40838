"""Request schemas as data, one module per resource; checked by ``mockserver.validation``."""
