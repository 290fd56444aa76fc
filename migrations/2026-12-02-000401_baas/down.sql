DROP TABLE baas_measurement;
DROP TABLE baas_payment;
DROP TABLE baas_delivery;
DROP TABLE baas_assignment;
DROP TABLE baas_child_private;
DROP TABLE baas_child;
DROP TABLE baas_sponsor;
