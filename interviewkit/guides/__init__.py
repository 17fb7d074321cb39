"""Interview guides: the model, the YAML format (loader, validator, JSON Schema) and the
shipped guides."""
