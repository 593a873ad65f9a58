# The shared ec2_bastion module (reduced).
