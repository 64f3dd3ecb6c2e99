"""`import`: files exported by other tools (CSV or JSON) mapped to observations by declarative
rules (rules.py), read into records (records.py), turned into one value per metric and period
(mapping.py), compared with the journal (plan.py), then appended in one commit or not at all."""
