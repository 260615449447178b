"""Planning an edition before its pages are composed: where the booked ads go.

Pure, like composition: records in (the booking list, each page's grid and what already sits on
it), frames and findings out (:func:`layout.plan.place.plan_ads`). The edition's driver
(``layout.edition``) reads the files, checks the ads' files, and hands each page its ads as
records with frames, so a page's build sees booked ads as it sees its own.
"""
