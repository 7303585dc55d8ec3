"""The hand-labelled evaluation set of carerank's post classifier (ids and labels only)."""
