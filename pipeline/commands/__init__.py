"""The CLI's commands, one module per area; `pipeline.cli` registers them on the root group."""
