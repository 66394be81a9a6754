"""What every server-rendered page shares: CSRF tokens, labels, organiser sessions."""
