"""Public web pages that need no sign-in: the privacy notice and the terms of use."""
