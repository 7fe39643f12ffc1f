"""Words users read in reports, in Swedish by default and in English."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "sv": {
        "year": "År",
        "committee": "Nämnd",
        "cost_type": "Kostnadstyp",
        "total": "Totalt",
        "sum": "Summa",
        "salary": "Lön",
        "po": "PO",
        "other": "Övrigt",
        "survey": "Enkät",
        "training": "Utbildning",
        "licence": "Licenser",
        "programmes": "Program",
        "synthetic": "OBS: Huvudboken innehåller syntetiska exempeldata, inte verkliga belopp.",
        "yearly_title": "{programme}: kostnad per år, {unit}",
    },
    "en": {
        "year": "Year",
        "committee": "Committee",
        "cost_type": "Cost type",
        "total": "Total",
        "sum": "Sum",
        "salary": "Salary",
        "po": "Payroll overhead",
        "other": "Other",
        "survey": "Survey",
        "training": "Training",
        "licence": "Licences",
        "programmes": "Programmes",
        "synthetic": "NOTE: The ledger holds synthetic example data, not real amounts.",
        "yearly_title": "{programme}: cost per year, {unit}",
    },
}


def label(key: str, lang: str = "sv") -> str:
    """The user-facing word for `key` in `lang`, or the key itself if unknown."""
    return LABELS.get(lang, LABELS["sv"]).get(key, key)
