"""Storage: the Database object, the models, and small query functions."""

from __future__ import annotations

from gatekeeper.store.database import Database
from gatekeeper.store.models import Account, AccountSettings, Base, DecisionRecord

__all__ = ["Account", "AccountSettings", "Base", "Database", "DecisionRecord"]
