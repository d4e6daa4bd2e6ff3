"""Retention and lifetime value from purchase or subscription events, pure (issue 14):
each customer's purchase history, churn and repeat purchases, cohort retention tables, NPS and
sentiment of the customers who stayed vs those who left, and lifetime value by group with the
value at risk of detractors (docs/retention.md)."""
