"""Mystery shopping: staff check a service (website, phone, counter) against a checklist and score it."""
