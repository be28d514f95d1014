"""Online screening: the employee-wide judgment of the ideas on a racecourse."""
