"""Grade lookup from a score."""
from collections import namedtuple

GradeBand = namedtuple("GradeBand", "key min_score")


def grade_for_score(score, bands):
    """Return the key of the band with the highest ``min_score`` <= score.

    ``bands`` is any iterable of GradeBand (order does not matter). Returns
    None when the score is below every band or there are no bands.
    """
    best = None
    for band in bands:
        if score >= band.min_score and (best is None
                                        or band.min_score > best.min_score):
            best = band
    return best.key if best else None
