from django import forms
from django.utils.html import format_html

# The hidden field that names a kept file sits next to the file input: `<name>_kept`.
KEPT_SUFFIX = "_kept"


class KeptFileInput(forms.FileInput):
    """A file input that, once a file was kept (certificates.kept_files), shows its name and a
    "Change" disclosure holding the input. A native <details>: it works without script."""

    kept = None  # the PendingUpload, set by the form

    def render(self, name, value, attrs=None, renderer=None):
        chooser = super().render(name, value, attrs, renderer)
        if self.kept is None:
            return chooser
        return format_html(
            '<div class="kept-file"><input type="hidden" name="{}" value="{}">'
            '<span class="kept-file-name">{}</span> — <details class="kept-file-change">'
            '<summary>Change<span class="visually-hidden"> the file {}</span></summary>'
            '<small class="help">Choose a different PDF, or leave this to keep {}.</small>{}'
            "</details></div>",
            name + KEPT_SUFFIX,
            self.kept.key,
            self.kept.original_filename,
            self.kept.original_filename,
            self.kept.original_filename,
            chooser,
        )
