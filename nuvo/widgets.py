from django import forms


class RegionPicker(forms.CheckboxSelectMultiple):
    """States and provinces as checkboxes grouped by country, in a scrolling box of its own height.

    Plain checkboxes work on any phone and without script; static/js/region_picker.js adds a
    filter box, a spoken count of matches and a "Chosen" line with a Remove button per region.
    The POST is the same as a multiple select's: one `name=CODE` pair per ticked region.
    """

    template_name = "nuvo/widgets/region_picker.html"
    option_template_name = "nuvo/widgets/region_picker_option.html"
