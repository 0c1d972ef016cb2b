INSERT INTO sample_orders (customer, total_cents, status) VALUES ('Ada Lovelace', 12999, 'SHIPPED');
INSERT INTO sample_orders (customer, total_cents, status) VALUES ('Alan Turing', 4550, 'NEW');
INSERT INTO sample_orders (customer, total_cents, status) VALUES ('Grace Hopper', 89900, 'PAID');
INSERT INTO sample_orders (customer, total_cents, status) VALUES ('Edsger Dijkstra', 2500, 'SHIPPED');
INSERT INTO sample_orders (customer, total_cents, status) VALUES ('Barbara Liskov', 31000, 'PAID');
INSERT INTO sample_orders (customer, total_cents, status) VALUES ('Ken Thompson', 7300, 'NEW');
INSERT INTO sample_orders (customer, total_cents, status) VALUES ('Rob Pike', 15000, 'PAID');
INSERT INTO sample_orders (customer, total_cents, status) VALUES ('Robert Griesemer', 64200, 'SHIPPED');
