"""Closing the loop: status updates, credit, and the "You said, we did" digest."""
