"""The figures of a month: indicators, flags, projects, and the record of what was issued."""
