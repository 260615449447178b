"""The content model: what an editor writes in content.yaml (and edition.yaml), defined once as
msgspec Structs (``content``), read from the YAML data with every problem located (``read``),
then checked against the page grid (``validate``)."""
