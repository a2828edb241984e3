"""Reading: files → grids → the dataset (sheets, Excel, registers, ledgers, calendar, front matter, checks)."""
