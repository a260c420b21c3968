"""The conversation core: dialogs, state, storage and the platform-free commands."""
