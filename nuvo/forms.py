from django import forms

from nuvo.models import Organization


class ApprovalSettingsForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["separate_approval_duties"]
        labels = {"separate_approval_duties": "Separate sending for approval from approving"}
        help_texts = {
            "separate_approval_duties": "Whoever sends an application for approval cannot also "
            "approve it, even if they hold both the credit analyst and approver roles.",
        }
