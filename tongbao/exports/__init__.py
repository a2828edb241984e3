"""Files the site offers besides pages: bulletin workbooks, the archive table, the feed."""
