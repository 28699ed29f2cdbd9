"""Harvest: keep the record current from the UN's own records (see docs/harvest.md)."""
