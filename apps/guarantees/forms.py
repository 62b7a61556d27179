"""One evidence form per validation method (staff), the stakeholder forms (client view), sign-off and actions.

The evidence forms are derived from each method's one declaration (`apps.guarantees.methods.<method>`): the staff
form from its evidence fields, the client and on-behalf forms from its `questions`. Forms only validate and clean:
`evidence_data()` gives the method's fields for `record_evidence`, and clean() runs the method's own evidence checks
so an impossible combination (7 passed of 5) shows on the form.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError

from apps.core.fields import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from apps.core.text import CONTROL_MESSAGE, has_control_character
from apps.customers.models import Stakeholder
from apps.guarantees import responses
from apps.guarantees.files import ALLOWED_DESCRIPTION
from apps.guarantees.methods import METHODS, Method, evidence_from_data
from apps.guarantees.methods.base import MAX_COUNT, MAX_ITEMS, MAX_NAME_LENGTH
from apps.guarantees.methods.fields import AnswerField, FieldSpec, declared
from apps.guarantees.models import MethodSettings, MilestoneAction, SignOff
from apps.guarantees.recording import with_configured_values


def _count(label: str, *, minimum: int = 0) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=minimum, max_value=MAX_COUNT)


class EvidenceForm(forms.Form):
    """Common to every method: a note and an optional private file."""

    method = ""
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    file = forms.FileField(
        label="Supporting file", required=False, help_text=f"Optional: {ALLOWED_DESCRIPTION}. Stored privately."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput | forms.RadioSelect):
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        # Method fields first, then note and file.
        order = [n for n in self.fields if n not in ("note", "file")] + ["note", "file"]
        self.order_fields(order)

    def evidence_data(self) -> dict[str, Any]:
        data = {}
        for name in self.method_fields():
            value = self.cleaned_data.get(name)
            if value is None and not self.fields[name].required:
                continue  # left empty: the configured value applies (the uptime target)
            data[name] = str(value) if isinstance(value, Decimal) else value
        return data

    def method_fields(self) -> list[str]:
        return [n for n in self.fields if n not in ("note", "file")]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors:
            try:
                settings_row = MethodSettings.load()
                evidence_from_data(self.method, with_configured_values(self.method, self.evidence_data(), settings_row))
            except DjangoValidationError as error:
                raise forms.ValidationError(error.messages) from None
            except (ValueError, TypeError) as error:
                raise forms.ValidationError(str(error)) from None
        return cleaned


class ChecksField(forms.CharField):
    """`name = pass` / `name = fail`, one per line -> [{name, passed}]."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value: Any) -> list[dict[str, Any]]:
        checks = []
        for number, line in enumerate((value or "").splitlines(), 1):
            if not line.strip():
                continue
            name, sep, outcome = line.rpartition("=")
            outcome = outcome.strip().lower()
            if not sep or not name.strip() or outcome not in ("pass", "fail"):
                raise forms.ValidationError(f"Line {number}: write `check name = pass` or `check name = fail`.")
            if has_control_character(name) or len(name.strip()) > MAX_NAME_LENGTH:
                raise forms.ValidationError(f"Line {number}: {CONTROL_MESSAGE} At most {MAX_NAME_LENGTH} characters.")
            checks.append({"name": name.strip(), "passed": outcome == "pass"})
        if not checks:
            raise forms.ValidationError("List at least one check.")
        if len(checks) > MAX_ITEMS:
            raise forms.ValidationError(f"At most {MAX_ITEMS} checks.")
        return checks

    def run_validators(self, value: Any) -> None:
        """Each line was checked in to_python (CharField's NUL check would read the list's repr)."""


def _staff_field(field: FieldSpec) -> forms.Field:
    """The staff form's field for one declared evidence field."""
    if field.kind == "count":
        return _count(field.label, minimum=1 if field.positive else 0)
    if field.kind == "number":
        return forms.DecimalField(
            label=field.label,
            required=not field.configured,  # left empty, the configured value applies
            min_value=field.minimum,
            max_value=field.maximum,
            max_digits=9,
            decimal_places=2,
            help_text=field.help_text,
        )
    if field.kind == "text":
        widget = forms.Textarea(attrs={"rows": 3}) if field.multiline else None
        return forms.CharField(label=field.label, required=field.required, max_length=field.max_length, widget=widget)
    if field.kind == "yes_no":
        return forms.BooleanField(label=field.label, required=False)
    if field.kind == "checks":
        return ChecksField(label=field.label, help_text=field.help_text)
    raise ValueError(f"No staff form field for {field.kind} evidence.")


def _form_class(method: str, fields: dict[str, forms.Field], base: type = EvidenceForm) -> type[EvidenceForm]:
    name = "".join(part.title() for part in method.split("_")) + "Form"
    return type(name, (base,), {"method": method, **fields})


def staff_form_class(method: Method) -> type[EvidenceForm]:
    """The staff evidence form of a method, derived from its evidence fields."""
    return _form_class(method.key, {name: _staff_field(field) for name, field in declared(method.evidence_class)})


# Methods each stakeholder answers have no staff evidence form: a CSM records a stakeholder's answer on their behalf.
EVIDENCE_FORMS: dict[str, type[EvidenceForm]] = {
    key: staff_form_class(method) for key, method in METHODS.items() if not method.stakeholder_supplied
}


def staff_form_for(method: str, *args: Any, stakeholders: Any = None, **kwargs: Any) -> EvidenceForm:
    """The staff door: the method's evidence form, or for a stakeholder method the on-behalf answer form."""
    if method in ON_BEHALF_FORMS:
        return ON_BEHALF_FORMS[method](*args, stakeholders=stakeholders, **kwargs)
    form = EVIDENCE_FORMS[method](*args, **kwargs)
    configured = [(name, f.configured) for name, f in declared(METHODS[method].evidence_class) if f.configured]
    if configured and not form.is_bound:
        settings_row = MethodSettings.load()
        for name, setting in configured:
            form.initial.setdefault(name, getattr(settings_row, setting))
    return form


YES_NO = [("yes", "Yes"), ("no", "No")]
StakeholderChoiceField = BoundedModelChoiceField
StakeholderChoicesField = BoundedModelMultipleChoiceField


def _answer_field(field: AnswerField) -> forms.Field:
    if field.kind == "yes_no":
        return forms.ChoiceField(label=field.label, choices=YES_NO, widget=forms.RadioSelect)
    if field.kind == "rating":
        return forms.TypedChoiceField(label=field.label, coerce=int, choices=[(i, str(i)) for i in range(1, 11)])
    return _count(field.label, minimum=field.minimum)


def answer_form_class(method: Method, base: type[EvidenceForm]) -> type[EvidenceForm]:
    """A stakeholder method's answer form, derived from its `questions`: the client form and the CSM's on-behalf
    form ask the same."""
    return _form_class(method.key, {f.name: _answer_field(f) for f in method.questions}, base)


class StakeholderForm(EvidenceForm):
    """A stakeholder's own answer; `values()` is what `record_stakeholder_response` takes."""

    def clean(self) -> dict[str, Any]:
        cleaned = forms.Form.clean(self)
        if not self.errors:
            try:
                responses.check_answer(self.method, self.values())
            except ValueError as error:
                raise forms.ValidationError(str(error)) from None
        return cleaned

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.method_fields() if name != "stakeholder"}


CLIENT_FORMS: dict[str, type[EvidenceForm]] = {
    key: answer_form_class(method, StakeholderForm) for key, method in responses.RESPONSES.items()
}


NOTE_HELP = "Required unless you attach a document: for example “approved by email on 3 May”."


class OnBehalfBase(StakeholderForm):
    """A CSM records a stakeholder's answer for them: only with a note or a document saying how it was given."""

    stakeholder = StakeholderChoiceField(label="Stakeholder", queryset=Stakeholder.objects.none())

    def __init__(self, *args: Any, stakeholders: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = stakeholders if stakeholders is not None else Stakeholder.objects.none()
        self.fields["stakeholder"].label_from_instance = lambda person: person.name
        self.fields["note"].label = "How they gave it (note)"
        self.fields["note"].help_text = NOTE_HELP
        self.order_fields(["stakeholder", *[n for n in self.fields if n != "stakeholder"]])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not (cleaned.get("note") or "").strip() and not cleaned.get("file"):
            raise forms.ValidationError("Add a note or attach a document saying how the stakeholder gave this answer.")
        return cleaned


ON_BEHALF_FORMS: dict[str, type[EvidenceForm]] = {
    key: answer_form_class(method, OnBehalfBase) for key, method in responses.RESPONSES.items()
}


class ParticipantsForm(forms.Form):
    stakeholders = StakeholderChoicesField(
        label="Stakeholders to invite", queryset=Stakeholder.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stakeholders"].queryset = choices


class SignOffForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[(SignOff.Decision.APPROVED, "Approve this week"), (SignOff.Decision.REJECTED, "Reject: reopen it")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Comment or reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text="Required when you reject.",
    )
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("decision") == SignOff.Decision.REJECTED and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why you reject it, so the team knows what to fix.")
        return cleaned


class ActionForm(forms.ModelForm):
    class Meta:
        model = MilestoneAction
        fields = ["assignee", "due_on", "status"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
            "assignee": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "status": forms.Select(attrs={"class": "form-select form-select-sm"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = get_user_model().objects.filter(is_staff=True, is_active=True)
        self.fields["due_on"].required = True


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why take it back?",
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
