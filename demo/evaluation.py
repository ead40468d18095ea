"""Demo evaluation of the Châlons CLS 1 (illustrative where the seeds are silent)."""


def load_evaluation_demo(clss):
    """Filled by the evaluation work (issue 4)."""
