"""The running processes' machinery: outbox delivery, the scheduler, sweeps."""
