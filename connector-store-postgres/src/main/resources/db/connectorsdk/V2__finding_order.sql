-- Where a finding stood in its asset's finding array when last reported: an asset's document no
-- longer repeats its findings (they are rows of findings), so the export orders them by this.
ALTER TABLE findings ADD COLUMN ordinal integer;
