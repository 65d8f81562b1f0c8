"""Meeting pages, one module per topic; urls.py names each view by its module."""
