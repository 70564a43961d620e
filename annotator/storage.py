"""Where production keeps static files: WhiteNoise's compressed, hashed copies made by collectstatic."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFiles(CompressedManifestStaticFilesStorage):
    """The pages' scripts are ES modules that import each other by relative name (`./page.js`).
    Rewriting those imports to hashed names as well keeps one deploy's modules together: a page
    open across a deploy never mixes its new module with an old one from a browser's cache."""

    support_js_module_import_aggregation = True
