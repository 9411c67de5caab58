"""Page objects of the Business Central web client (shell + client frame, Tell Me, pages 9860/9861)."""

from pages.business_central.dialogs import Dialogs
from pages.business_central.entra_application_card import EntraApplicationCard
from pages.business_central.entra_applications import EntraApplicationsList
from pages.business_central.errors import BusinessCentralError
from pages.business_central.shell import BusinessCentralShell

__all__ = ["BusinessCentralError", "BusinessCentralShell", "Dialogs", "EntraApplicationCard",
           "EntraApplicationsList"]
