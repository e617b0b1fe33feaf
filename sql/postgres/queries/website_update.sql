UPDATE websites SET domain = :domain, name = :name, timezone = :timezone WHERE id = :id
