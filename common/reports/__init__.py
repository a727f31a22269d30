"""Reports as plain rows (STYLE.md habit 15): one query builds the rows, writers render them."""
