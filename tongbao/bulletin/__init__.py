"""The bulletin of a month: its commentary and the format-neutral model every output renders."""
