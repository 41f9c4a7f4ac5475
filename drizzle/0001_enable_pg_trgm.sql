-- Custom SQL migration file, put your code below! --
-- Trigram indexes back supplier text search (ILIKE '%q%' over names and identifiers).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
