"""The content model: what an editor writes in content.yaml (and edition.yaml), defined with
pydantic (``content``), read into plain records (``records``) by the fast reader (``fast``)
or, for data not in plain form, by pydantic (``messages``), then checked against the page grid
(``validate``)."""
