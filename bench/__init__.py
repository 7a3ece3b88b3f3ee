"""The benchmark suite (`make bench`): the pipeline against the field's own tools, on a seeded
corpus served from loopback. Not part of `make test`; see README.md, "Performance"."""
