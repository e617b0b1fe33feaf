DELETE FROM audit_events WHERE created_at < :cutoff
