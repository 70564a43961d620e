"""Dataset exports, one module per format. Each module has a `FORMAT` (name, content type,
extension) and a `stream(*, cursor, query, stats)` that yields the file's bytes.

PostgreSQL builds the rows (JSON documents, CSV rows) and streams them with COPY … TO STDOUT; the
modules add only what a format needs on top (a zip container, brat's standoff lines). Memory stays
constant whatever the size of the export. `claims.services.exports` validates the options, checks
label mappings and runs a module inside one read-only, repeatable-read transaction.
"""
