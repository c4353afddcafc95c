"""Who may see which figures (ADR 0013): the follow-up's capability table.

Figures are aggregates; the list behind a figure (names) is a separate capability, for the
unit manager at her own unit only. Analysts never see identities (LEGAL.md): they get every
figure for the city and the pseudonymised extract.
"""

from jobbtorg.accounts.models import Role
from jobbtorg.core.capabilities import ALL, DISTRICT, UNIT

CAPABILITIES = {
    # Key figures, each role over its own part of the city (selectors.scope_filters).
    "view_unit": {Role.UNIT_MANAGER: UNIT},
    "view_city": {Role.ANALYST: ALL},
    "view_district": {Role.SOCIAL_WORKER: DISTRICT},
    # Cut by coach: only the manager, for her own unit.
    "by_coach": {Role.UNIT_MANAGER: UNIT},
    # The participations behind a figure, with names: the manager at her own unit.
    "drilldown": {Role.UNIT_MANAGER: UNIT},
    # Reports (monthly, tertial, annual) as page, Excel and PDF.
    "reports": {Role.ANALYST: ALL, Role.UNIT_MANAGER: UNIT},
    # Pseudonymised extract for analysts (LEGAL.md).
    "extract": {Role.ANALYST: ALL},
    # Social-assistance amounts from the districts (CSV import), and cost inputs.
    "import_assistance": {Role.SOCIAL_WORKER: DISTRICT, Role.ANALYST: ALL},
    "manage_costs": {Role.ANALYST: ALL, Role.SYSADMIN: ALL},
}
