"""Demo governance and yearly review (illustrative: the seeds give no meetings or answers)."""


def load_steering_demo(clss):
    """Filled by the steering work (issue 4)."""
