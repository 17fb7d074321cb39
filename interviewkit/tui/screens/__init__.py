"""The screens of the terminal interface; each owns its logic and widgets."""
