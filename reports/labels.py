"""Words users read in reports, in Swedish by default and in English.

Every heading, sentence and footnote of a report comes from here, so a
report reads the same in every format and `--lang en` translates all of it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

LANGS = ("sv", "en")

LABELS: dict[str, dict[str, str]] = {
    "sv": {
        # Dimensions and cost types
        "year": "År",
        "committee": "Nämnd",
        "cost_type": "Kostnadstyp",
        "dim_committee": "Nämnd",
        "dim_type": "Kostnadstyp",
        "dim_area": "Område",
        "dim_position": "Tjänst",
        "total": "Totalt",
        "sum": "Summa",
        "amount": "Belopp",
        "salary": "Lön",
        "po": "PO",
        "other": "Övrigt",
        "survey": "Enkät",
        "training": "Utbildning",
        "licence": "Licenser",
        "programmes": "Program",
        "income": "Intäkter",
        "internal": "Interna poster (eliminering)",
        "internal_income": "Interna intäkter",
        "internal_purchase": "Interna köp",
        "note_net": "Beloppen är nettokostnad: kostnader minus intäkter (Intäkter, negativt belopp). Varje nämnd visas med sina egna interna köp och försäljningar; Interna poster (eliminering) tar bort de interna posterna mellan programmets egna enheter, så att summan är stadens nettokostnad utan dubbelräkning.",
        "unknown": "Okänd",
        "common_area": "gemensamt",
        "no_position": "utan tjänst",
        "synthetic": "OBS: Huvudboken innehåller syntetiska exempeldata, inte verkliga belopp.",
        "diary": "Dnr",
        "and": "och",
        "status_förslag": "förslag",
        "status_besvarad": "besvarad",
        "status_upphävd": "upphävt",
        "status_beslut": "beslut",
        "mark_synthetic": "syntetiskt",
        "mark_date_unverified": "datum ej verifierat",
        "protocol": "protokoll",
        # Yearly
        "yearly_title": "{programme}: kostnad per år {span}, {unit}",
        "sheet_yearly": "Kostnad per år",
        "note_areas": (
            "Område enligt mappningsfilen: kostnader bokförda på ett områdes enhet hör till "
            "området, övriga är gemensamma (gemensamt)."
        ),
        "note_positions": (
            "Tjänst: lön och PO hör till den tjänst vars enhet (ansvar) kostnaden bokfördes på; "
            "övriga kostnader hör inte till någon tjänst (utan tjänst)."
        ),
        # Transfers
        "transfers_title": "{programme}: växlingar av kommunbidrag, {unit}",
        "transfer_title": "Växling enligt {reference}, i kraft {effective}",
        "transfer_sheet": "Växling",
        "no_decision": "beslut saknas",
        "applicable_months": "Tillämpliga månader {year} ({months}/12)",
        "full_year": "Helårseffekt {year}",
        "check_row": "Kontroll",
        "check_sum": "Summa alla nämnder, ska vara 0",
        "own_decisions": "Nämndernas egna beslut:",
        "givers_receivers": "Lämnar kommunbidrag: {givers}. Tar emot: {receivers}.",
        "moved_full_year": "Växlat belopp, helårseffekt {year}: {amount}.",
        "applicable_span": "Tillämpliga månader: {span} ({months}/12).",
        "rounding_adjustment": (
            "Avrundningsdifferensen {amount} i tillämpliga månader har lagts på den största raden."
        ),
        "retroactive": "Retroaktivt beslut: fattat {decided}, gäller från {effective}.",
        "retroactive_decisions": "Retroaktiva beslut (gäller från före beslutsdagen):",
        "retroactive_item": "{reference} gäller från {effective}",
        "transfer_exception": "Flyttar av tjänster och växlade pengar skiljer sig åt: {reason}.",
        "unfunded_moves": "Flyttar av tjänster utan växling, med beslutets skäl:",
        "unfunded_move": "{position} från {source} till {target} {date} enligt {reference}: {reason}",
        "transfer_sign": (
            "Negativt belopp: nämnden lämnar kommunbidrag. Positivt belopp: nämnden tar emot "
            "kommunbidrag."
        ),
        "transfer_check": (
            "Kontrollraden summerar alla nämnders belopp; en växling ändrar inte stadens "
            "totala kommunbidrag, så den ska vara 0."
        ),
        "full_year_included": "Helårseffekten {year} ingår redan i KF:s tilldelning för {year} till {committees}; budgetrapporten och översikten räknar den en gång, i tilldelningen.",
        # Positions
        "positions_title": "{programme}: tjänster {span}, {unit}",
        "positions_committee_title": "Årsarbetare och personalkostnad per nämnd och år",
        "positions_each_title": "Per tjänst och år",
        "history_title": "Tjänsternas historik: inrättande och flyttar med beslut",
        "sheet_positions_committee": "Per nämnd och år",
        "sheet_positions_each": "Per tjänst och år",
        "sheet_history": "Historik",
        "fte_average": "Årsarb.",
        "positions_count": "Tjänster",
        "vacant_fte": "Vakant",
        "payroll_cost": "Personalkostnad",
        "payroll_short": "Kostnad",
        "position": "Tjänst",
        "role": "Roll",
        "from_date": "Från",
        "to_date": "Till",
        "event": "Händelse",
        "decision": "Beslut",
        "opened": "inrättad",
        "moved_from": "från {committee}",
        "note_fte": (
            "Årsarbetare (Årsarb.): tjänstgöringsgraden × de månader nämnden finansierar "
            "tjänsten under året / 12 (en del av en månad efter dagar), så att årets summa är de "
            "årsarbetare programmet finansierade. Tjänster: antal tjänster som nämnden finansierar "
            "någon gång under året; årets summarad räknar varje tjänst en gång, även en som bytt "
            "nämnd. Vakant: årsarbetare i tjänster som finansieras men står vakanta "
            "(position-vacant); de räknas inte som årsarbetare."
        ),
        "note_payroll": (
            "Personalkostnad (Kostnad): bokförd lön och PO på tjänstens enhet (ansvar). "
            "Historiken: Händelse säger om tjänsten inrättades eller flyttades från en annan "
            "nämnd; Till saknas när tjänsten fortfarande finansieras."
        ),
        # Budget
        "budget_title": "{programme}: kommunbidrag, kostnad och budgetavvikelse {span}, {unit}",
        "sheet_budget": "Budgetavvikelse",
        "allocation": "Kommunbidrag KF",
        "transfers": "Växlingar",
        "kommunbidrag": "Kommunbidrag",
        "cost": "Kostnad",
        "deviation": "Avvikelse",
        "gross_cost": "Bruttokostnad",
        "net_cost": "Nettokostnad",
        "of_internal_cost": "varav interna köp",
        "of_internal_income": "varav interna intäkter",
        "sheet_budget_cost": "Kostnad och intäkter",
        "budget_cost_title": "Bruttokostnad, intäkter och nettokostnad per nämnd och år",
        "note_budget_cost": "Nettokostnad = bruttokostnad − intäkter. Varje nämnds egna interna köp och försäljningar (till och från andra enheter i staden) ingår: för nämnden är de verkliga kostnader och intäkter.",
        "note_included": "Helårseffekten av växlingen {decisions} ingår redan i KF:s tilldelning för året och räknas därför bara där, inte en gång till som växling.",
        "note_deviation": "Budgetavvikelse = kommunbidrag − nettokostnad. Positivt tal: överskott; negativt tal: underskott.",
        "note_budget_transfers": (
            "Kommunbidrag KF är fullmäktiges tilldelning för året. Växlingar är årets växlingar "
            "av kommunbidrag mellan nämnder (tillämpliga månader och helårseffekt); de tar ut "
            "varandra över staden."
        ),
        # Motion
        "motion_title": "Svar: {programme}:s årliga kostnader {span}",
        "motion_total": "Under {span} ({coverage}) var nettokostnaden för {programme} sammanlagt {total} miljoner kronor (mnkr), i genomsnitt {average} mnkr per år.",
        "motion_types": "Av bruttokostnaden var {salary} mnkr lön, {po} mnkr personalomkostnader (PO) och {other} mnkr övriga kostnader.",
        "motion_tables": "Tabell 1 visar nettokostnaden per år och nämnd, tabell 2 per år och kostnadstyp.",
        "motion_table_committee": "Tabell 1. Nettokostnad per år och nämnd, {unit}",
        "motion_table_type": "Tabell 2. Nettokostnad per år och kostnadstyp, {unit}",
        "sheet_motion_committee": "Per nämnd",
        "sheet_motion_type": "Per kostnadstyp",
        "note_scope": "Kostnaderna och intäkterna är de som bokförts på {programme}:s konton hos de nämnder som bar dem: lön, personalomkostnader (PO), övriga kostnader (bland annat enkäten, utbildning, licenser och program) och programmets egna intäkter.",
        "note_current_prices": (
            "Beloppen är i löpande priser, det vill säga i respektive års kronor, utan "
            "omräkning till fast penningvärde."
        ),
        "note_rounding": (
            "Varje belopp är avrundat till {unit} för sig från exakta kronor; summorna är "
            "avrundade summor av exakta belopp. Därför kan de avrundade talen i en rad eller "
            "kolumn avvika från summan (avrundningsdifferenser)."
        ),
        "note_committees": "Nämnderna:",
        "note_decisions": "Beslut bakom underlaget:",
        "note_imported": (
            "Kostnaderna är inlästa ur ekonomisystemets exportfiler {files} och förda i "
            "huvudboken {ledger}."
        ),
        "reconcile_note": "Om den publicerade siffran: {note}.",
        "reconcile_rounding": "Den publicerade siffran är avrundad till hela {step} kr; en skillnad på högst {tolerance} kr ryms i avrundningen.",
        "reconcile_unexplained": "Skillnaden förklaras varken av intäkterna eller av den publicerade siffrans avrundning: siffrorna omfattar olika kostnader. Jämför vad huvudbokens siffra omfattar (ovan) med vad den publicerade omfattar.",
        "reconcile_gross_fits": "Skillnaden förklaras av intäkterna ({income} mnkr): bruttokostnaden stämmer med den publicerade siffran inom dess avrundning, nettokostnaden gör det inte. Den publicerade siffran motsvarar alltså bruttokostnaden.",
        "reconcile_net_fits": "Nettokostnaden stämmer med den publicerade siffran inom dess avrundning; bruttokostnaden gör det inte.",
        "reconcile_both_fit": "Både netto- och bruttokostnaden stämmer med den publicerade siffran inom dess avrundning. Skillnaden mellan dem är intäkterna ({income} mnkr); den publicerade siffran säger inte om den är brutto eller netto.",
        "reconcile_gross_difference": "Skillnad: bruttokostnad − publicerad siffra",
        "reconcile_net_difference": "Skillnad: nettokostnad − publicerad siffra",
        "reconcile_given": "angiven med --published",
        "reconcile_published": "Publicerad siffra: {source}",
        "reconcile_gross": "Bruttokostnad enligt huvudboken",
        "reconcile_income": "Intäkter (dras av i nettokostnaden)",
        "reconcile_net": "Nettokostnad enligt huvudboken",
        "reconcile_item": "Post",
        "sheet_reconcile": "Avstämning",
        "reconcile_title": "Tabell 3. Avstämning mot publicerad siffra, {unit}",
        "note_cost_decisions": "Beslut som kostnaderna vilar på (tjänsternas och växlingarnas beslut och bokslut; budgetbeslut säger vad nämnderna fick använda, inte vad programmet kostade, och ingår inte):",
        "motion_question": "Svaret gäller {reference}: {title}.",
        "scope_excluded_unknown": "Huvudboken anger inte vad siffran inte omfattar (till exempel lokaler och gemensamma kostnader).",
        "scope_excludes": "Den omfattar inte {excluded}.",
        "scope_default": "de kostnader och intäkter som bokförts på {programme}:s konton i huvudboken",
        "scope_contains": "Siffran omfattar {scope}.",
        "motion_eliminated": "Interna köp mellan programmets egna enheter, {amount}, är eliminerade och räknas inte två gånger.",
        "motion_gross": "Bruttokostnaden var {gross} mnkr och programmets egna intäkter (sålda tjänster, bidrag) {income}, vilket ger nettokostnaden {net} mnkr.",
        "coverage_none": "{year} utan bokförda kostnader",
        "coverage_month": "{year} bokfört till och med {month}",
        "coverage_incomplete": "inte helt bokfört: {years}",
        "coverage_complete": "alla år helt bokförda",
        "note_not_imported": (
            "Kostnaderna är förda direkt i huvudboken {ledger}; inga av dem är inlästa ur "
            "importerade filer."
        ),
        # Trace
        "trace_title": "Underlag för kostnaden: {what}",
        "trace_summary": "{count} {noun} för {what}, sammanlagt {total} kr.",
        "entry": "post",
        "entries": "poster",
        "trace_figure": "ctc report yearly visar {figure} kr för {what}.",
        "trace_agrees": "Beloppen stämmer.",
        "trace_differs": "OBS: beloppen skiljer sig.",
        "sheet_trace": "Poster",
        "date": "Datum",
        "amount_kr": "Belopp, kr",
        "kind": "Typ",
        "narration": "Text",
        "source": "Källa",
        "via_position": "{decision} (tjänst {position})",
        "note_trace_source": (
            "Källa: fil, blad och rad i den importerade filen; för en post som inte är "
            "inläst, dess fil och rad i huvudboken. Beslut: beslutet som posten hänvisar "
            "till, eller beslutet som finansierar tjänsten."
        ),
        # Writers
        "footnotes": "Källor och anmärkningar",
        "generated_at": "Skapad",
        "prov_sheet": "Underlag",
        "prov_notice": "Obs",
        "prov_report": "Rapport",
        "prov_ledger": "Huvudbok",
        "prov_sha256": "SHA-256",
        "prov_filter": "Urval",
        "prov_no_filter": "inget",
        "prov_program": "Program",
        "prov_file": "Fil i huvudboken",
    },
    "en": {
        "year": "Year",
        "committee": "Committee",
        "cost_type": "Cost type",
        "dim_committee": "Committee",
        "dim_type": "Cost type",
        "dim_area": "Area",
        "dim_position": "Position",
        "total": "Total",
        "sum": "Sum",
        "amount": "Amount",
        "salary": "Salary",
        "po": "Payroll overhead",
        "other": "Other",
        "survey": "Survey",
        "training": "Training",
        "licence": "Licences",
        "programmes": "Programmes",
        "income": "Income",
        "internal": "Internal items (eliminated)",
        "internal_income": "Internal income",
        "internal_purchase": "Internal purchases",
        "note_net": "Amounts are net cost: costs minus income (Income, negative). Each committee is shown with its own internal purchases and sales; Internal items (eliminated) removes the internal items between the programme's own units, so that the total is the city's net cost without double counting.",
        "unknown": "Unknown",
        "common_area": "common",
        "no_position": "no position",
        "synthetic": "NOTE: The ledger holds synthetic example data, not real amounts.",
        "diary": "Reg. no.",
        "and": "and",
        "status_förslag": "proposal",
        "status_besvarad": "answered",
        "status_upphävd": "repealed",
        "status_beslut": "decision",
        "mark_synthetic": "synthetic",
        "mark_date_unverified": "date not verified",
        "protocol": "minutes",
        "yearly_title": "{programme}: cost per year {span}, {unit}",
        "sheet_yearly": "Cost per year",
        "note_areas": (
            "Area from the mapping file: costs booked on an area's unit belong to the area, "
            "others are common."
        ),
        "note_positions": (
            "Position: salary and PO belong to the position whose unit (responsibility code) "
            "they were booked on; other costs belong to no position."
        ),
        "transfers_title": "{programme}: transfers of kommunbidrag, {unit}",
        "transfer_title": "Transfer under {reference}, effective {effective}",
        "transfer_sheet": "Transfer",
        "no_decision": "no decision",
        "applicable_months": "Applicable months {year} ({months}/12)",
        "full_year": "Full-year effect {year}",
        "check_row": "Check",
        "check_sum": "All committees, must be 0",
        "own_decisions": "The committees' own decisions:",
        "givers_receivers": "Giving kommunbidrag: {givers}. Receiving: {receivers}.",
        "moved_full_year": "Amount transferred, full-year effect {year}: {amount}.",
        "applicable_span": "Applicable months: {span} ({months}/12).",
        "rounding_adjustment": (
            "The rounding difference {amount} in the applicable months was put on the largest line."
        ),
        "retroactive": "Retroactive decision: made on {decided}, applies from {effective}.",
        "retroactive_decisions": "Retroactive decisions (applying from before the decision):",
        "retroactive_item": "{reference} applies from {effective}",
        "transfer_exception": "Moves of positions and the money moved differ: {reason}.",
        "unfunded_moves": "Moves of positions without a växling, with the decision's reason:",
        "unfunded_move": "{position} from {source} to {target} {date} by {reference}: {reason}",
        "transfer_sign": (
            "Negative: the committee gives kommunbidrag. Positive: the committee receives it."
        ),
        "transfer_check": (
            "The check row sums all committees; a transfer does not change the city's total "
            "kommunbidrag, so it must be 0."
        ),
        "full_year_included": "The full-year effect {year} is already part of the council's allocation for {year} to {committees}; the budget report and the dashboard count it once, in the allocation.",
        "positions_title": "{programme}: positions {span}, {unit}",
        "positions_committee_title": "FTE and payroll cost per committee and year",
        "positions_each_title": "Per position and year",
        "history_title": "History of the positions: openings and moves with decisions",
        "sheet_positions_committee": "Per committee and year",
        "sheet_positions_each": "Per position and year",
        "sheet_history": "History",
        "fte_average": "FTE",
        "positions_count": "Positions",
        "vacant_fte": "Vacant",
        "payroll_cost": "Payroll cost",
        "payroll_short": "Cost",
        "position": "Position",
        "role": "Role",
        "from_date": "From",
        "to_date": "To",
        "event": "Event",
        "decision": "Decision",
        "opened": "opened",
        "moved_from": "from {committee}",
        "note_fte": (
            "FTE: the degree of employment × the months of the year the committee funds the "
            "position / 12 (part of a month by its days), so a year's sum is the FTE the "
            "programme funded. Positions: how many positions the committee funds at some time "
            "in the year; the year's sum counts each position once, also one that changed "
            "committee. Vacant: FTE of positions funded but vacant (position-vacant); they are "
            "not counted as FTE."
        ),
        "note_payroll": (
            "Payroll cost (Cost): salary and PO booked on the position's unit. History: "
            "Event says whether the position was opened or moved from another committee; "
            "no To date means it is still funded."
        ),
        "budget_title": "{programme}: kommunbidrag, cost and budget deviation {span}, {unit}",
        "sheet_budget": "Budget deviation",
        "allocation": "Allocation",
        "transfers": "Transfers",
        "kommunbidrag": "Kommunbidrag",
        "cost": "Cost",
        "deviation": "Deviation",
        "gross_cost": "Gross cost",
        "net_cost": "Net cost",
        "of_internal_cost": "of which internal purchases",
        "of_internal_income": "of which internal income",
        "sheet_budget_cost": "Cost and income",
        "budget_cost_title": "Gross cost, income and net cost per committee and year",
        "note_budget_cost": "Net cost = gross cost − income. Each committee's own internal purchases and sales (to and from other units of the city) are included: to the committee they are real cost and income.",
        "note_included": "The full-year effect of the transfer {decisions} is already part of the council's allocation for the year, so it is counted there only, not once more as a transfer.",
        "note_deviation": "Budget deviation = kommunbidrag − net cost. Positive: surplus; negative: deficit.",
        "note_budget_transfers": (
            "Allocation is the council's allocation for the year. Transfers are the year's "
            "transfers of kommunbidrag between committees (applicable months and full-year "
            "effect); they cancel out across the city."
        ),
        "motion_title": "Answer: yearly costs of {programme} {span}",
        "motion_total": "In {span} ({coverage}) the net cost of {programme} was {total} million kronor (mnkr) in total, on average {average} mnkr a year.",
        "motion_types": "Of the gross cost, {salary} mnkr was salary, {po} mnkr payroll overhead (PO) and {other} mnkr other costs.",
        "motion_tables": "Table 1 shows the net cost per year and committee, table 2 per year and cost type.",
        "motion_table_committee": "Table 1. Net cost per year and committee, {unit}",
        "motion_table_type": "Table 2. Net cost per year and cost type, {unit}",
        "sheet_motion_committee": "Per committee",
        "sheet_motion_type": "Per cost type",
        "note_scope": "The costs and income are those booked on {programme}'s accounts at the committees that bore them: salary, payroll overhead (PO), other costs (among them the survey, training, licences and programmes) and the programme's own income.",
        "note_current_prices": (
            "Amounts are in current prices, that is in each year's kronor, not adjusted for "
            "inflation."
        ),
        "note_rounding": (
            "Each amount is rounded to {unit} on its own from exact kronor; totals are rounded "
            "sums of exact amounts. Rounded figures in a row or column may therefore not add "
            "up to the total (rounding differences)."
        ),
        "note_committees": "The committees:",
        "note_decisions": "Decisions behind the figures:",
        "note_imported": (
            "The costs were imported from the finance system's export files {files} and "
            "recorded in the ledger {ledger}."
        ),
        "reconcile_note": "About the published figure: {note}.",
        "reconcile_rounding": "The published figure is rounded to whole {step} kr; a difference of up to {tolerance} kr is within its rounding.",
        "reconcile_unexplained": "Neither the income nor the rounding of the published figure explains the difference: the figures cover different costs. Compare what the ledger's figure covers (above) with what the published one covers.",
        "reconcile_gross_fits": "The difference is explained by the income ({income} mnkr): the gross cost agrees with the published figure within its rounding, the net cost does not. The published figure thus corresponds to the gross cost.",
        "reconcile_net_fits": "The net cost agrees with the published figure within its rounding; the gross cost does not.",
        "reconcile_both_fit": "Both the net and the gross cost agree with the published figure within its rounding. The difference between them is the income ({income} mnkr); the published figure does not say whether it is gross or net.",
        "reconcile_gross_difference": "Difference: gross cost − published figure",
        "reconcile_net_difference": "Difference: net cost − published figure",
        "reconcile_given": "given with --published",
        "reconcile_published": "Published figure: {source}",
        "reconcile_gross": "Gross cost according to the ledger",
        "reconcile_income": "Income (deducted in the net cost)",
        "reconcile_net": "Net cost according to the ledger",
        "reconcile_item": "Item",
        "sheet_reconcile": "Reconciliation",
        "reconcile_title": "Table 3. Reconciliation with a published figure, {unit}",
        "note_cost_decisions": "Decisions the costs rest on (the positions' and transfers' decisions and the closing of the books; budget decisions say what committees could spend, not what the programme cost, and are left out):",
        "motion_question": "The answer concerns {reference}: {title}.",
        "scope_excluded_unknown": "The ledger does not say what the figure leaves out (premises and overheads, for instance).",
        "scope_excludes": "It does not cover {excluded}.",
        "scope_default": "the costs and income booked on {programme}'s accounts in the ledger",
        "scope_contains": "The figure covers {scope}.",
        "motion_eliminated": "Internal purchases between the programme's own units, {amount}, are eliminated and not counted twice.",
        "motion_gross": "The gross cost was {gross} mnkr and the programme's own income (services sold, grants) {income}, giving the net cost of {net} mnkr.",
        "coverage_none": "{year} with no costs booked",
        "coverage_month": "{year} booked up to {month}",
        "coverage_incomplete": "not fully booked: {years}",
        "coverage_complete": "every year fully booked",
        "note_not_imported": (
            "The costs are recorded directly in the ledger {ledger}; none of them was "
            "imported from a file."
        ),
        "trace_title": "The entries behind the cost: {what}",
        "trace_summary": "{count} {noun} for {what}, {total} kr in total.",
        "entry": "entry",
        "entries": "entries",
        "trace_figure": "ctc report yearly shows {figure} kr for {what}.",
        "trace_agrees": "The amounts agree.",
        "trace_differs": "NOTE: the amounts differ.",
        "sheet_trace": "Entries",
        "date": "Date",
        "amount_kr": "Amount, kr",
        "kind": "Type",
        "narration": "Text",
        "source": "Source",
        "via_position": "{decision} (position {position})",
        "note_trace_source": (
            "Source: file, sheet and row of the imported file; for an entry not imported, its "
            "file and line in the ledger. Decision: the decision the entry cites, or the one "
            "that funds its position."
        ),
        "footnotes": "Sources and notes",
        "generated_at": "Generated",
        "prov_sheet": "Provenance",
        "prov_notice": "Note",
        "prov_report": "Report",
        "prov_ledger": "Ledger",
        "prov_sha256": "SHA-256",
        "prov_filter": "Filter",
        "prov_no_filter": "none",
        "prov_program": "Program",
        "prov_file": "Ledger file",
    },
}

MONTHS: dict[str, tuple[str, ...]] = {
    "sv": (
        "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
        "september", "oktober", "november", "december",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ),
}  # fmt: skip


def label(key: str, lang: str = "sv") -> str:
    """The user-facing word for `key` in `lang`, or the key itself if unknown."""
    return LABELS.get(lang, LABELS["sv"]).get(key, key)


def join_names(names: Sequence[str], lang: str = "sv") -> str:
    """A list as prose: `KS, GrN och FsN`."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {label('and', lang)} {names[-1]}"


def month_span(effective: datetime.date, lang: str = "sv") -> str:
    """The applicable months from an effective date: `september–december 2024`."""
    months = MONTHS.get(lang, MONTHS["sv"])
    first, last = months[effective.month - 1], months[11]
    if first == last:
        return f"{last} {effective.year}"
    return f"{first}–{last} {effective.year}"
