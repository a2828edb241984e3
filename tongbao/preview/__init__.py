"""The preview server and its quick path."""
