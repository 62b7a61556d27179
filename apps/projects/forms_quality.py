"""The staff form of a quality-gate run: one optional field per code and delivery metric, built from the registry."""

from __future__ import annotations

from typing import Any

from django import forms

from apps.projects import quality


def _field(metric: quality.Metric) -> forms.Field:
    attrs = {"class": "form-control", "min": str(metric.minimum), "max": str(metric.maximum)}
    label = f"{metric.label} ({metric.unit.strip()})" if metric.unit.strip() else metric.label
    if metric.whole:
        return forms.IntegerField(
            label=label,
            required=False,
            min_value=int(metric.minimum),
            max_value=int(metric.maximum),
            help_text=metric.measures,
            widget=forms.NumberInput(attrs=attrs),
        )
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=metric.minimum,
        max_value=metric.maximum,
        max_digits=12,
        decimal_places=2,
        help_text=metric.measures,
        widget=forms.NumberInput(attrs={**attrs, "step": "0.01"}),
    )


class _RunForm(forms.Form):
    """Leave a metric empty when CI did not measure it: its gate is then not checked."""

    def metrics(self) -> dict[str, Any]:
        return {key: value for key, value in self.cleaned_data.items() if value is not None}

    def families(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields grouped by family, for the page."""
        return [
            (
                quality.FAMILY_LABELS[family],
                [self[key] for key in quality.INPUT_METRICS if quality.METRICS[key].family == family],
            )
            for family in (quality.CODE, quality.DELIVERY)
        ]


# Declared fields (not added in __init__), so the form's fields are known before it is built.
QualityGateRunForm = type(
    "QualityGateRunForm", (_RunForm,), {key: _field(quality.METRICS[key]) for key in quality.INPUT_METRICS}
)
