-- An operator account may claim the default trunk over the API; tenants may not.
ALTER TABLE accounts ADD COLUMN operator boolean NOT NULL DEFAULT false;
