"""Forms of the inquiry pages, one module per topic; every rule is checked again on the server."""
