"""Static files for production: whitenoise's compressed files with content hashes in their names."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Leaves a ``sourceMappingURL`` to a source map that is not shipped as it is.

    Vendored scripts (tom-select) name a ``.map`` file that ``bin/build-assets`` does not
    copy; Django would refuse to collect the static files over that comment alone.
    """

    def url_converter(self, *args, **kwargs):
        convert = super().url_converter(*args, **kwargs)

        def converter(matchobj):
            try:
                return convert(matchobj)
            except ValueError:
                if matchobj.groupdict()["url"].strip().endswith(".map"):
                    return matchobj.groupdict()["matched"]
                raise

        return converter
